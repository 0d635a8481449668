"""Reads a recorded VTK series the way ParaView does, with VTK's own XML reader, and checks it.

Usage: vtk_series_check.py run.pvd NX NY DX DY X0 Y0 FIELD[,FIELD...]
Every DataSet of the .pvd collection is read with vtkXMLImageDataReader; its extent, origin and
spacing, its time (against the collection's timestep), and every cell of every field against the
pattern the tests publish (cell i of field k in generation g holds g * 2**20 + i + k / 2).
Prints the number of frames and their generations.
"""
import math
import os
import sys
import xml.etree.ElementTree as ET

from vtkmodules.vtkIOXML import vtkXMLImageDataReader

pvd = sys.argv[1]
nx, ny = int(sys.argv[2]), int(sys.argv[3])
dx, dy, x0, y0 = (float(v) for v in sys.argv[4:8])
fields = sys.argv[8].split(',')

root = ET.parse(pvd).getroot()
assert root.tag == 'VTKFile' and root.get('type') == 'Collection', root.attrib
datasets = root.find('Collection').findall('DataSet')
assert datasets, 'an empty collection'
generations = []
previous_time = -math.inf
for entry in datasets:
    timestep = float(entry.get('timestep'))
    assert timestep > previous_time, ('times must increase', timestep, previous_time)
    previous_time = timestep
    path = os.path.join(os.path.dirname(os.path.abspath(pvd)), entry.get('file'))
    reader = vtkXMLImageDataReader()
    assert reader.CanReadFile(path), path
    reader.SetFileName(path)
    reader.Update()
    assert reader.GetErrorCode() == 0, (path, reader.GetErrorCode())
    image = reader.GetOutput()
    assert image.GetDimensions() == (nx + 1, ny + 1, 1), (path, image.GetDimensions())
    assert image.GetNumberOfCells() == nx * ny, path
    assert all(math.isclose(a, b) for a, b in zip(image.GetOrigin(), (x0, y0, 0.0))), (path, image.GetOrigin())
    assert all(math.isclose(a, b) for a, b in zip(image.GetSpacing(), (dx, dy, 1.0))), (path, image.GetSpacing())
    field_data = image.GetFieldData()
    assert field_data.GetArray('TimeValue').GetValue(0) == timestep, (path, 'TimeValue')
    g = int(field_data.GetArray('generation').GetValue(0))
    cells = image.GetCellData()
    assert cells.GetNumberOfArrays() == len(fields), (path, cells.GetNumberOfArrays())
    for k, name in enumerate(fields):
        array = cells.GetArray(name)
        assert array is not None and array.GetDataTypeAsString() == 'double', (path, name)
        assert array.GetNumberOfTuples() == nx * ny and array.GetNumberOfComponents() == 1, (path, name)
        for i in range(nx * ny):
            expected = g * 1048576.0 + i + k * 0.5
            assert array.GetValue(i) == expected, (path, name, i, array.GetValue(i), expected)
    generations.append(g)
print(len(generations), ' '.join(str(g) for g in generations))
